import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";

import type { ServerKind } from "../../harness/types.js";
import { ConfigError, loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";
import { configWarnings } from "../../src/config/warnings.js";
import {
  type ComposeFile,
  interpolate,
  porterContainerEnvironment,
  readCompose,
  readDotEnvExample,
  readEjabberdConfig,
  readRepoFile,
  repoPath,
  serviceEnvironment,
} from "../support/deploy.js";
import { tempDir } from "../support/temp.js";

const SERVER_IMAGES: Record<ServerKind, string> = {
  // The newest versions Porter's integration tests run against (Debian 13's).
  prosody: "prosodyim/prosody:13.0",
  ejabberd: "ghcr.io/processone/ejabberd:24.12",
};
const TEST_SECRET = "a-real-secret-0123456789";

const emptyConfigFile = (() => {
  const path = join(tempDir(), "empty.yaml");
  writeFileSync(path, "");
  return path;
})();

/** Porter's configuration in the example's container, with the operator's secret filled in. */
function deployedConfig(kind: ServerKind): Config {
  return loadConfig({ path: emptyConfigFile, env: { ...porterContainerEnvironment(kind), PORTER_XMPP_SECRET: TEST_SECRET } }).config;
}

function registerUrl(config: Config): string {
  return config.register_redirect.url ?? `${config.http.public_url}/register`;
}

/** The service's fixed address on the example's network, and that network's gateway. */
function addresses(compose: ComposeFile, service: string): { address: string | undefined; gateway: string | undefined; subnet: string | undefined } {
  const networks = compose.services[service]?.networks;
  const attached = Array.isArray(networks) ? undefined : (networks as Record<string, { ipv4_address?: string } | null> | undefined)?.xmpp;
  const ipam = compose.networks?.xmpp?.ipam?.config?.[0];
  return { address: attached?.ipv4_address, gateway: ipam?.gateway, subnet: ipam?.subnet };
}

/** Whether an IPv4 address lies in a /24 written as a.b.c.0/24. */
function inSubnet24(address: string, subnet: string): boolean {
  return subnet.endsWith(".0/24") && address.startsWith(subnet.slice(0, -"0/24".length));
}

/** The port inside the container of a "host:port:container" or "port:container" mapping. */
function containerPorts(ports: readonly string[] | undefined): number[] {
  return (ports ?? []).map((mapping) => Number(mapping.split(":").at(-1)));
}

for (const kind of ["prosody", "ejabberd"] as const satisfies readonly ServerKind[]) {
  describe(`deploy/${kind}`, () => {
    const compose = readCompose(kind);

    it("compose.yaml runs the pinned server image beside Porter built from this repository", () => {
      assert.deepEqual(Object.keys(compose.services).sort(), [kind, "porter"].sort());
      assert.equal(compose.services[kind]?.image, SERVER_IMAGES[kind]);
      const porter = compose.services.porter;
      assert.equal(porter?.build, "../..");
      assert.ok(existsSync(join(dirname(repoPath(`deploy/${kind}/compose.yaml`)), porter.build, "Dockerfile")));
      assert.deepEqual(porter.depends_on, [kind]);
      const dataVolume = porter.volumes?.find((volume) => volume.endsWith(":/data"));
      assert.ok(dataVolume !== undefined, "Porter's database is on a volume at /data");
      const volumeName = dataVolume.split(":")[0] ?? "";
      assert.ok(Object.keys(compose.volumes ?? {}).includes(volumeName), "the /data volume is a named volume");
    });

    it("Porter's environment holds only known settings, valid once the secret placeholder is replaced", () => {
      const env = porterContainerEnvironment(kind);
      assert.equal(env.PORTER_XMPP_SECRET, "change-me", "the example ships Porter's refused placeholder, so nobody runs it by accident");
      assert.throws(
        () => loadConfig({ path: emptyConfigFile, env }),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.problems.length === 1 &&
          /^xmpp\.secret \(from PORTER_XMPP_SECRET\): the value given is still the example's placeholder/.test(err.problems[0] ?? ""),
      );
      const config = deployedConfig(kind);
      assert.equal(config.xmpp.service, `xmpp://${kind}:5347`, "the component listener by its compose service name");
      assert.equal(config.database.path, "/data/porter.sqlite");
    });

    it("publishes Porter's HTTP port on the host's loopback only, and never the component port", () => {
      const config = deployedConfig(kind);
      const porterPorts = compose.services.porter?.ports ?? [];
      assert.deepEqual(containerPorts(porterPorts), [config.http.listen.port]);
      assert.equal(config.http.listen.host, "0.0.0.0");
      assert.ok(
        porterPorts.every((mapping) => mapping.startsWith("127.0.0.1:")),
        porterPorts.join(", "),
      );
      const componentPort = Number(new URL(config.xmpp.service).port);
      assert.ok(!containerPorts(compose.services[kind]?.ports).includes(componentPort));
    });

    it("runs every service on a read-only root, without capabilities and unable to gain any", () => {
      for (const [name, service] of Object.entries(compose.services)) {
        assert.equal(service.read_only, true, name);
        assert.deepEqual(service.cap_drop, ["ALL"], name);
        assert.ok(service.security_opt?.includes("no-new-privileges:true"), name);
        assert.ok(service.tmpfs?.includes("/tmp"), name);
        // ejabberd's images mark beam.smp with this file capability: without it in the bounding set the kernel refuses to run it.
        assert.deepEqual(service.cap_add ?? [], name === "ejabberd" ? ["NET_BIND_SERVICE"] : [], name);
      }
      // Prosody's image would start as root and switch users with capabilities it no longer has.
      if (kind === "prosody") assert.equal(compose.services.prosody?.user, "prosody");
    });

    it("takes the secrets from .env, which git ignores, with a committed .env.example", () => {
      const raw = compose.services.porter?.environment ?? {};
      const dotEnv = readDotEnvExample(kind);
      for (const secret of ["PORTER_XMPP_SECRET", "PORTER_OAUTH2_REGISTRATION_KEY"]) {
        assert.equal(raw[secret], `\${${secret}${secret === "PORTER_XMPP_SECRET" ? ":?copy .env.example to .env and set it" : ":-"}}`, secret);
        assert.ok(secret in dotEnv, `.env.example names ${secret}`);
      }
      // Without .env, compose refuses to start rather than run with no secret.
      assert.throws(() => interpolate(String(raw.PORTER_XMPP_SECRET), {}), /PORTER_XMPP_SECRET: copy \.env\.example to \.env/);
      assert.equal(deployedConfig(kind).oauth2.registration_key, null, "OAuth2 registration stays off while .env leaves the key empty");
      assert.ok(readRepoFile(".gitignore").split("\n").includes("deploy/*/.env"));
    });

    it("binds the component port to the server's fixed address on the compose network, and trusts only its gateway as proxy", () => {
      const config = deployedConfig(kind);
      const server = addresses(compose, kind);
      assert.ok(server.address !== undefined && server.gateway !== undefined && server.subnet !== undefined);
      assert.ok(inSubnet24(server.address, server.subnet) && inSubnet24(server.gateway, server.subnet));
      const listening =
        kind === "prosody"
          ? /^component_interfaces = \{ "([^"]*)" \}$/m.exec(readRepoFile("deploy/prosody/prosody.cfg.lua"))?.[1]
          : readEjabberdConfig().listen.find((listener) => listener.module === "ejabberd_service")?.ip;
      assert.equal(listening, server.address);
      assert.deepEqual(config.http.trust_proxy, { mode: "addresses", addresses: [server.gateway] });
      assert.deepEqual(configWarnings(config), [], "no warning at start");
    });
  });
}

describe("deploy/prosody/prosody.cfg.lua", () => {
  const config = deployedConfig("prosody");
  const secret = porterContainerEnvironment("prosody").PORTER_XMPP_SECRET;
  // Comments removed; no value in this file contains "--".
  const lua = readRepoFile("deploy/prosody/prosody.cfg.lua").replace(/--.*$/gm, "");
  const [globals = "", ...sections] = lua.split(/^(?=VirtualHost |Component )/m);
  const section = (kind: "VirtualHost" | "Component", name: string) => sections.find((text) => text.startsWith(`${kind} "${name}"`));
  const stringList = (text: string, option: string) =>
    [...(new RegExp(`^\\s*${option}\\s*=\\s*\\{([^}]*)\\}`, "m").exec(text)?.[1] ?? "").matchAll(/"([^"]*)"/g)].map((match) => match[1]);
  const option = (text: string, name: string) => new RegExp(`^\\s*${name}\\s*=\\s*(.+?)\\s*$`, "m").exec(text)?.[1];

  it("declares Porter's component with Porter's secret, on the component port Porter connects to", () => {
    const component = section("Component", config.xmpp.domain);
    assert.ok(component !== undefined, `a Component "${config.xmpp.domain}" section`);
    // Read from the environment, which compose fills from the same .env entry as Porter's.
    assert.equal(option(component, "component_secret"), "ENV_PORTER_XMPP_SECRET");
    assert.equal(
      readCompose("prosody").services.prosody?.environment?.PORTER_XMPP_SECRET,
      readCompose("prosody").services.porter?.environment?.PORTER_XMPP_SECRET,
    );
    assert.equal(serviceEnvironment("prosody", "prosody").PORTER_XMPP_SECRET, secret);
    assert.equal(option(globals, "component_ports"), `{ ${new URL(config.xmpp.service).port} }`);
  });

  it("lets the component create accounts and edit rosters of Porter's host, and be an admin of that host only", () => {
    assert.ok(!stringList(globals, "admins").includes(config.xmpp.domain), "not an admin of every host");
    assert.ok(["adhoc", "admin_adhoc"].every((module) => stringList(globals, "modules_enabled").includes(module)));
    const host = section("VirtualHost", config.xmpp.host);
    assert.ok(host !== undefined, `a VirtualHost "${config.xmpp.host}" section`);
    assert.deepEqual(stringList(host, "admins"), [config.xmpp.domain]);
    assert.deepEqual(stringList(host, "modules_enabled"), ["privilege", "porter"]);
    assert.match(host, new RegExp(`\\["${config.xmpp.domain.replaceAll(".", "\\.")}"\\]\\s*=\\s*\\{\\s*roster\\s*=\\s*"both"`));
    assert.deepEqual(stringList(section("Component", config.xmpp.domain) ?? "", "modules_enabled"), ["privilege"]);
  });

  it("loads Porter's module for Porter's JID, mounted from this repository, and names /register to those without an invite", () => {
    const host = section("VirtualHost", config.xmpp.host) ?? "";
    assert.equal(option(host, "porter_component"), JSON.stringify(config.xmpp.domain));
    assert.ok(stringList(globals, "plugin_paths").includes("/etc/prosody/porter-modules"));
    assert.ok(readCompose("prosody").services.prosody?.volumes?.includes("../../server-modules/prosody:/etc/prosody/porter-modules:ro"));
    assert.equal(option(globals, "registration_url"), JSON.stringify(registerUrl(config)));
    assert.equal(option(globals, "allow_registration"), "true");
    // Without mod_porter the server must have no in-band registration at all.
    assert.ok(!stringList(globals, "modules_enabled").includes("register"));
  });
});

describe("deploy/prosody/prosody.cfg.lua read by Prosody's own config parser (this machine's Prosody)", () => {
  const config = deployedConfig("prosody");
  // The interpreter Prosody runs on, from its launcher's first line.
  const lua = /^#!\/usr\/bin\/env (\S+)/.exec(existsSync("/usr/bin/prosody") ? readFileSync("/usr/bin/prosody", "utf8") : "")?.[1];
  const READ_CONFIG = `
package.path = "/usr/lib/prosody/?.lua;" .. package.path
package.cpath = "/usr/lib/prosody/?.so;" .. package.cpath
local config = require "core.configmanager"
assert(config.load(arg[1]))
local function list(host) return table.concat(config.get(host, "admins") or {}, ",") end
print(config.get(arg[2], "component_secret"))
print(list("*"))
print(list(arg[3]))
`;

  it(
    "takes the component secret from the environment and lists the component as an admin of its VirtualHost only",
    { skip: lua === undefined && "Prosody is not installed" },
    () => {
      const read = spawnSync(lua ?? "", ["-", repoPath("deploy/prosody/prosody.cfg.lua"), config.xmpp.domain, config.xmpp.host], {
        input: READ_CONFIG,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", PORTER_XMPP_SECRET: TEST_SECRET },
      });
      assert.equal(read.status, 0, read.stderr);
      // Prosody adds the global admins to a host's own (mod_authz_internal's inherited set).
      assert.deepEqual(read.stdout.split("\n").slice(0, 3), [TEST_SECRET, config.admins.join(","), config.xmpp.domain]);
    },
  );
});

describe("deploy/ejabberd/ejabberd.yml", () => {
  const config = deployedConfig("ejabberd");
  const secret = porterContainerEnvironment("ejabberd").PORTER_XMPP_SECRET;

  it("parses, serves Porter's host and lists Porter's component with Porter's secret on the port Porter connects to", () => {
    const ejabberd = readEjabberdConfig();
    assert.deepEqual(ejabberd.hosts, [config.xmpp.host]);
    const services = ejabberd.listen.filter((listener) => listener.module === "ejabberd_service");
    assert.equal(services.length, 1);
    assert.equal(services[0]?.port, Number(new URL(config.xmpp.service).port));
    assert.deepEqual(services[0]?.hosts, { [config.xmpp.domain]: { password: secret } });
  });

  it("lets the component run the admin commands, and loads no mod_privilege, which would drop them on ejabberd 24.12", () => {
    const ejabberd = readEjabberdConfig();
    assert.deepEqual(ejabberd.acl.porter, { server: config.xmpp.domain });
    assert.ok((ejabberd.access_rules.configure as unknown[]).some((rule) => JSON.stringify(rule) === JSON.stringify({ allow: "porter" })));
    assert.deepEqual(ejabberd.access_rules.porter_component, { allow: "porter" });
    assert.deepEqual(ejabberd.modules.mod_adhoc, {});
    assert.deepEqual(ejabberd.modules.mod_configure, {});
    // test/deploy/servers.test.ts shows what mod_privilege does to Porter on ejabberd 24.12.
    assert.equal(ejabberd.modules.mod_privilege, undefined);
  });

  it("closes in-band registration and sends clients to Porter's /register", () => {
    assert.deepEqual(readEjabberdConfig().modules.mod_register, { access: "none", redirect_url: registerUrl(config) });
  });

  it("loads Porter's module for Porter's JID, which the container builds from this repository at every start", () => {
    assert.deepEqual(readEjabberdConfig().modules.mod_porter, { component: config.xmpp.domain });
    const ejabberd = readCompose("ejabberd").services.ejabberd ?? assert.fail("compose.yaml has an ejabberd service");
    assert.ok(ejabberd.volumes?.includes("../../server-modules/ejabberd:/opt/porter-module:ro"));
    assert.ok(ejabberd.volumes?.includes("./vm.args:/opt/ejabberd/conf/vm.args:ro"));
    // Built where the read-only container may write, then ejabberd starts as the image starts it.
    assert.deepEqual(ejabberd.entrypoint, ["/bin/sh", "-c", "sh /opt/porter-module/build.sh /tmp/porter-module && exec ejabberdctl foreground"]);
    assert.ok(existsSync(repoPath("server-modules/ejabberd/build.sh")));
    // The image's ejabberdctl passes conf/vm.args to Erlang: its ERL_OPTIONS="-pa ...".
    const vmArgs = readRepoFile("deploy/ejabberd/vm.args")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("#"));
    assert.deepEqual(vmArgs, ["-pa /tmp/porter-module"]);
  });
});
