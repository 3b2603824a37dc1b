import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { CancellationToken, FunctionTool, ToolArgumentsError, UserError } from "agentbook";

const context = () => ({ cancellationToken: new CancellationToken(), callId: "call_1" });

/** Run and return the ToolArgumentsError it throws. */
async function argumentsError(tool: FunctionTool<any, any>, args: unknown): Promise<ToolArgumentsError> {
  try {
    await tool.runJson(args, context());
  } catch (error) {
    assert.ok(error instanceof ToolArgumentsError, `expected ToolArgumentsError, got ${String(error)}`);
    return error;
  }
  assert.fail("runJson accepted arguments it should have rejected");
}

describe("FunctionTool with a zod schema", () => {
  const weather = new FunctionTool(async ({ city, units }) => `${city}: 21 degrees ${units}`, {
    name: "get_weather",
    description: "Current weather in a city.",
    parameters: z.object({ city: z.string().describe("City name"), units: z.enum(["c", "f"]).default("c") }),
  });

  it("describes itself to the model with a JSON Schema", () => {
    assert.equal(weather.schema.name, "get_weather");
    assert.equal(weather.schema.description, "Current weather in a city.");
    const parameters = weather.schema.parameters as any;
    assert.equal(parameters.type, "object");
    assert.deepEqual(parameters.required, ["city"]);
    assert.equal(parameters.properties.city.description, "City name");
    assert.deepEqual(parameters.properties.units.enum, ["c", "f"]);
    assert.equal("$schema" in parameters, false);
  });

  it("runs on valid JSON text and applies zod defaults", async () => {
    assert.equal(await weather.runJson('{"city":"Paris"}', context()), "Paris: 21 degrees c");
    assert.equal(await weather.runJson({ city: "Oslo", units: "f" }, context()), "Oslo: 21 degrees f");
  });

  it("names a missing field and what it expects", async () => {
    const error = await argumentsError(weather, "{}");
    assert.deepEqual(error.issues, [{ path: "city", message: "is required; expected a string" }]);
    assert.match(error.message, /Invalid arguments for tool "get_weather":\n- city: is required; expected a string/);
    assert.match(error.message, /Call get_weather again/);
  });

  it("names a field of the wrong type and a value outside the enum", async () => {
    const error = await argumentsError(weather, { city: 42, units: "k" });
    assert.deepEqual(error.issues, [
      { path: "city", message: "expected a string, got the number 42" },
      { path: "units", message: 'expected one of "c", "f", got the string "k"' },
    ]);
  });

  it("rejects text that is not JSON and says what to send", async () => {
    const error = await argumentsError(weather, "{city: Paris");
    assert.equal(error.issues[0]!.path, "(arguments)");
    assert.match(error.issues[0]!.message, /^not valid JSON \(.+\); send one JSON object with the fields city \(string\), units \("c" \| "f"\)$/);
  });

  it("rejects JSON that is not an object", async () => {
    const error = await argumentsError(weather, "[1,2]");
    assert.match(error.message, /expected a JSON object .*got an array/);
  });

  it("applies zod coercions and passes the call id and token to the function", async () => {
    const seen: unknown[] = [];
    const add = new FunctionTool(
      ({ a, b }, { callId, cancellationToken }) => {
        seen.push(callId, cancellationToken instanceof CancellationToken);
        return a + b;
      },
      { name: "add", description: "Add two numbers.", parameters: z.object({ a: z.coerce.number(), b: z.coerce.number() }) },
    );
    const result = await add.runJson('{"a":"2","b":3}', context());
    assert.equal(result, 5);
    assert.equal(add.returnValueAsString(result), "5");
    assert.deepEqual(seen, ["call_1", true]);
  });

  it("names nested fields by path", async () => {
    const trip = new FunctionTool(() => "ok", {
      name: "plan_trip",
      description: "Plan a trip.",
      parameters: z.object({ stops: z.array(z.object({ name: z.string() })) }),
    });
    const error = await argumentsError(trip, { stops: [{ name: "A" }, { name: 7 }] });
    assert.deepEqual(error.issues, [{ path: "stops[1].name", message: "expected a string, got the number 7" }]);
  });
});

describe("FunctionTool with a JSON Schema", () => {
  const search = new FunctionTool(async (args: { query: string; limit: number; sort?: string }) => ({ hits: [args.query], limit: args.limit }), {
    name: "search",
    description: "Search the docs.",
    parameters: {
      type: "object",
      properties: {
        query: { type: "string" },
        limit: { type: "integer", default: 5 },
        sort: { type: "string", enum: ["relevance", "date"] },
      },
      required: ["query"],
      additionalProperties: false,
    },
  });

  it("passes the schema to the model unchanged", () => {
    assert.deepEqual((search.schema.parameters as any).required, ["query"]);
  });

  it("runs on valid arguments, fills defaults, and returns non-strings as JSON", async () => {
    const result = await search.runJson('{"query":"tools"}', context());
    assert.deepEqual(result, { hits: ["tools"], limit: 5 });
    assert.equal(search.returnValueAsString(result), '{"hits":["tools"],"limit":5}');
  });

  it("names the missing field with its expected type", async () => {
    const error = await argumentsError(search, "{}");
    assert.deepEqual(error.issues, [{ path: "query", message: "is required; expected a string" }]);
  });

  it("names wrong types, values outside the enum and unknown fields", async () => {
    const error = await argumentsError(search, { query: "x", limit: "ten", sort: "size", colour: "red" });
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    assert.equal(byPath.limit, 'expected an integer, got the string "ten"');
    assert.equal(byPath.sort, 'expected one of "relevance", "date", got the string "size"');
    assert.equal(byPath.colour, "is not a parameter of this tool; the allowed names are query, limit, sort");
  });

  it("rejects text that is not JSON", async () => {
    const error = await argumentsError(search, "query=tools");
    assert.match(error.message, /not valid JSON/);
  });

  it("refuses a schema that is not an object schema, or not valid", () => {
    assert.throws(
      () => new FunctionTool(() => 1, { name: "bad", description: "d", parameters: { type: "string" } }),
      (error: Error) => error instanceof UserError && /must describe an object/.test(error.message),
    );
    assert.throws(
      () => new FunctionTool(() => 1, { name: "bad", description: "d", parameters: { type: "object", properties: { a: { type: 12 } } } }),
      (error: Error) => error instanceof UserError && /not a valid JSON Schema/.test(error.message),
    );
  });
});

describe("FunctionTool options", () => {
  it("takes its name from a named function and has no arguments by default", async () => {
    function currentTime() {
      return "12:00";
    }
    const tool = new FunctionTool(currentTime, { description: "The time." });
    assert.equal(tool.name, "currentTime");
    assert.deepEqual(tool.schema.parameters, { type: "object", properties: {}, additionalProperties: false });
    assert.equal(await tool.runJson("", context()), "12:00");
  });

  it("rejects a name a model could not call", () => {
    assert.throws(() => new FunctionTool(() => 1, { name: "get weather", description: "d" }), UserError);
    assert.throws(() => new FunctionTool(() => 1, { description: "d" }), /pass options.name/);
  });

  it("strict tools must require every parameter", () => {
    assert.throws(
      () =>
        new FunctionTool(() => 1, {
          name: "t",
          description: "d",
          strict: true,
          parameters: z.object({ a: z.string(), b: z.string().optional() }),
        }),
      (error: Error) => error instanceof UserError && /b is optional/.test(error.message),
    );
    const tool = new FunctionTool(() => 1, { name: "t", description: "d", strict: true, parameters: z.object({ a: z.string() }) });
    assert.equal(tool.schema.strict, true);
    assert.equal((tool.schema.parameters as any).additionalProperties, false);
  });

  it("does not run when the token is already cancelled", async () => {
    let ran = false;
    const tool = new FunctionTool(() => (ran = true), { name: "t", description: "d" });
    const token = new CancellationToken();
    token.cancel();
    await assert.rejects(tool.runJson({}, { cancellationToken: token }), { name: "CancelledError" });
    assert.equal(ran, false);
  });
});
