/**
 * Writes one seed's topology as a stack export, to reproduce a disagreement with the CLI:
 *   node -r ./scripts/register-ts.js test/differential/write-seed.ts 15 /tmp/seed-15.json
 *   node bin/azure-reachability.js trace /tmp/seed-15.json --from v0-s0-nic1 --to 10.0.0.4 --protocol TCP --port 80
 */
import { writeFileSync } from "fs";
import { generate } from "./generate";

const seed = Number(process.argv[2]);
const file = process.argv[3] ?? `seed-${seed}.json`;
writeFileSync(file, `${JSON.stringify(generate(seed).exportJson, null, 2)}\n`);
console.log(file);
