// notebooks/05-human-in-the-loop.ipynb: run headless, then exported and run as a script.
import { testNotebook } from "./notebook-checks.ts";

testNotebook("05-human-in-the-loop.ipynb");
