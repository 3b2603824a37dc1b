/** The agentbook notebook front end: styles and the app element. */
import "./styles/app.css";
import "./app/agentbook-app.ts";
