import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
let t=performance.now();
const a = await PGlite.create("memory://"); console.log("create", performance.now()-t); t=performance.now();
await migrate(drizzle(a), { migrationsFolder: "db/migrations" }); console.log("migrate", performance.now()-t); t=performance.now();
const dump = await a.dumpDataDir("none"); console.log("dump", performance.now()-t, dump.size); t=performance.now();
const b = await PGlite.create({ loadDataDir: dump }); console.log("load", performance.now()-t); t=performance.now();
console.log((await b.query("select count(*) from agents")).rows);
