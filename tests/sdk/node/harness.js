// Runs every scenario of a plan in this one node process, one after another, and prints one JSON
// line per scenario: {"key", "result", "error"} (what its function resolved to, or the error it
// was rejected with). The plan comes as JSON on stdin:
//   {"targets": {"main": {"url", "keys"}, "refused": {...}},
//    "scenarios": [{"key", "script", "target", "id", "args"}, ...]}
// A scenario is node/scenarios/<script>.js, exporting `async (ctx) => result` (ctx: see _lib.js).
'use strict'

const fs = require('fs')
const { context, errorFields } = require('./_lib')

// One stuck scenario must not hide the others' outcomes.
const SCENARIO_TIMEOUT_MS = 20000

function withTimeout(promise, key) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scenario ${key} timed out`)), SCENARIO_TIMEOUT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

async function runOne(plan, scenario) {
  const run = require(`./scenarios/${scenario.script}.js`)
  try {
    const result = await withTimeout(Promise.resolve().then(() => run(context(plan.targets[scenario.target], scenario))), scenario.key)
    return { key: scenario.key, result: result ?? null, error: null }
  } catch (err) {
    return { key: scenario.key, result: null, error: errorFields(err) }
  }
}

async function main() {
  const plan = JSON.parse(fs.readFileSync(0, 'utf8'))
  for (const scenario of plan.scenarios) {
    process.stdout.write(JSON.stringify(await runOne(plan, scenario)) + '\n')
  }
}

main().then(
  () => process.exit(0), // idle keep-alive sockets must not keep the process waiting
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`)
    process.exit(1)
  }
)
