// notebooks/01-first-agents.ipynb: run headless, then exported and run as a script.
import { testNotebook } from "./notebook-checks.ts";

testNotebook("01-first-agents.ipynb");
