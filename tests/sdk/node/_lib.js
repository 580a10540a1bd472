// Shared by every scenario: read the emulator's address and keys from the environment, run the
// official SDK unchanged, and print one JSON line with what it returned or the error it reported.
'use strict'

const env = process.env

function errorFields(err) {
  if (err === undefined || err === null) return null
  if (typeof err !== 'object') return { message: String(err) }
  const out = { name: err.name, message: err.message }
  // statusCode and body: customerio-node's CustomerIORequestError; code: Node's network errors.
  for (const key of ['statusCode', 'status', 'code', 'body']) {
    if (err[key] !== undefined) out[key] = err[key]
  }
  if (err.reason !== undefined) out.reason = errorFields(err.reason)
  return out
}

function print(value) {
  process.stdout.write(JSON.stringify(value) + '\n')
}

// Runs the CDP calls [[method, params], ...] through one Analytics client, then flushes and closes.
// Each result is the call's own callback outcome (error fields, or the messageId it sent).
async function runCdp(calls, settings = {}) {
  const { Analytics } = require('@customerio/cdp-analytics-node')
  const analytics = new Analytics({
    writeKey: env.CIO_SDK_WRITE_KEY,
    host: env.CIO_SDK_URL,
    maxRetries: 0, // an error is reported at once instead of after backoff
    flushInterval: 100,
    ...settings,
  })
  const emitted = []
  analytics.on('error', (e) => emitted.push({ code: e.code, reason: errorFields(e.reason) }))
  const done = calls.map(
    ([method, params]) =>
      new Promise((resolve) => {
        analytics[method](params, (err, ctx) => {
          resolve({ method, error: errorFields(err), messageId: ctx ? ctx.event.messageId : null })
        })
      })
  )
  const results = await Promise.all(done)
  await analytics.closeAndFlush()
  print({ results, emitted })
}

// Runs fn(track, api) with customerio-node's TrackClient and APIClient pointed at the emulator,
// printing what the returned promise resolved to, or the error it was rejected with.
async function runNode(fn) {
  const { TrackClient, APIClient } = require('customerio-node')
  const base = new URL(env.CIO_SDK_URL)
  // The SDK builds https URLs from `url` but drops its port; `port` in the defaults is passed
  // on to https.request as every other default is.
  const port = Number(base.port || 443)
  const track = new TrackClient(env.CIO_SDK_SITE_ID, env.CIO_SDK_TRACK_KEY, { url: `${base.origin}/api/v1`, port })
  const api = new APIClient(env.CIO_SDK_APP_KEY, { url: `${base.origin}/v1`, port })
  try {
    print({ result: (await fn(track, api, require('customerio-node'))) ?? null, error: null })
  } catch (err) {
    print({ result: null, error: errorFields(err) })
  }
}

module.exports = { env, id: env.CIO_SDK_ID, runCdp, runNode }
