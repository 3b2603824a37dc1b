// notebooks/02-tools.ipynb: run headless, then exported and run as a script.
import { testNotebook } from "./notebook-checks.ts";

testNotebook("02-tools.ipynb");
