// notebooks/03-code-execution.ipynb: run headless, then exported and run as a script.
import { testNotebook } from "./notebook-checks.ts";

testNotebook("03-code-execution.ipynb");
