// notebooks/04-group-chat.ipynb: run headless, then exported and run as a script.
import { testNotebook } from "./notebook-checks.ts";

testNotebook("04-group-chat.ipynb");
