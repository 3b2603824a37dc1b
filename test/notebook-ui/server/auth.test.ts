import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { ContentsManager } from "@jupyterlab/services";
import { clientSettings, startFixture, type ServerFixture } from "./server-fixture.ts";

/** Try a WebSocket upgrade; resolves with the HTTP status the server answered (101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, handshakeTimeout: 5000 });
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe("token and origin checks", () => {
  let fx: ServerFixture;
  before(async () => {
    fx = await startFixture();
  });
  after(() => fx.close());

  test("listens on 127.0.0.1 and prints a URL with the token, like Jupyter", () => {
    assert.match(fx.server.url, new RegExp(`^http://127\\.0\\.0\\.1:${fx.server.port}/tree\\?token=[0-9a-f]{48}$`));
  });

  test("every REST request needs the token", async () => {
    const bare = await fetch(`${fx.server.baseUrl}api/contents`);
    assert.equal(bare.status, 403);
    assert.match(((await bare.json()) as { message: string }).message, /no valid token/);
    const wrong = new ContentsManager({ serverSettings: clientSettings(fx.server, "0".repeat(48)) });
    await assert.rejects(wrong.get(""), (error: { response?: Response }) => error.response?.status === 403);
    assert.equal((await fx.contents.get("")).type, "directory", "the right token works");
    for (const path of ["api/kernels", "api/sessions", "api/kernelspecs", "agentbook/export"]) {
      assert.equal((await fetch(`${fx.server.baseUrl}${path}`)).status, 403, path);
    }
  });

  test("pages need the token too; the one-time query becomes a cookie", async () => {
    const page = await fetch(`${fx.server.baseUrl}tree`);
    assert.equal(page.status, 403);
    assert.match(await page.text(), /needs its token/);
    const signIn = await fetch(`${fx.server.baseUrl}tree?token=${fx.server.token}`, { redirect: "manual" });
    assert.equal(signIn.status, 302);
    assert.equal(signIn.headers.get("location"), "/tree", "the token is dropped from the address bar");
    const cookie = signIn.headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const withCookie = await fetch(`${fx.server.baseUrl}tree`, { headers: { cookie: cookie.split(";")[0]! } });
    assert.equal(withCookie.status, 200);
    assert.match(withCookie.headers.get("content-security-policy")!, /script-src 'self'/);
    const api = await fetch(`${fx.server.baseUrl}api/contents`, { headers: { cookie: cookie.split(";")[0]! } });
    assert.equal(api.status, 200);
    const otherPort = cookie.split(";")[0]!.replace(/-\d+=/, "-1=");
    assert.equal((await fetch(`${fx.server.baseUrl}api/contents`, { headers: { cookie: otherPort } })).status, 403);
  });

  test("state-changing requests from a foreign page are refused even with the cookie", async () => {
    const response = await fetch(`${fx.server.baseUrl}api/contents`, {
      method: "POST",
      headers: { Authorization: `token ${fx.server.token}`, Origin: "http://evil.example", "Content-Type": "application/json" },
      body: JSON.stringify({ type: "notebook" }),
    });
    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { message: string }).message, /origin http:\/\/evil\.example/);
  });

  test("WebSocket upgrades need the token and a same-origin page", async () => {
    const url = `${fx.server.baseUrl.replace("http", "ws")}api/kernels/no-such-kernel/channels`;
    const token = { Authorization: `token ${fx.server.token}` };
    assert.equal(await upgradeStatus(url, {}), 403, "no token");
    assert.equal(await upgradeStatus(url, { ...token, Origin: "http://evil.example" }), 403, "foreign origin");
    assert.equal(await upgradeStatus(url, { ...token, Origin: `http://localhost:${fx.server.port}1` }), 403, "another port");
    assert.equal(await upgradeStatus(url, { ...token, Origin: `http://127.0.0.1:${fx.server.port}` }), 404, "own origin passes the check");
  });
});
