// What every scenario is given: its id and arguments, and the official SDKs, unchanged, pointed at
// the emulator it runs against. Nothing here changes what an SDK sends.
'use strict'

// The fields of an error worth reporting: customerio-node's CustomerIORequestError has statusCode
// and body; Node's network errors a code; the CDP SDK's delivery failures a reason.
function errorFields(err) {
  if (err === undefined || err === null) return null
  if (typeof err !== 'object') return { message: String(err) }
  const out = { name: err.name, message: err.message }
  for (const key of ['statusCode', 'status', 'code', 'body']) {
    if (err[key] !== undefined) out[key] = err[key]
  }
  if (err.reason !== undefined) out.reason = errorFields(err.reason)
  return out
}

// A step expected to fail midway through a scenario: its value, or its error's fields.
async function settle(promise) {
  try {
    return { value: (await promise) ?? null, error: null }
  } catch (err) {
    return { value: null, error: errorFields(err) }
  }
}

// Runs the CDP calls [[method, params], ...] through one Analytics client, then flushes and
// closes it. Each result is the call's own callback outcome (error fields, or the messageId it
// sent); `emitted` the client's 'error' events; `requests` how many HTTP requests it made.
async function runCdp(target, calls, settings = {}) {
  const { Analytics } = require('@customerio/cdp-analytics-node')
  const analytics = new Analytics({
    writeKey: target.keys.write,
    host: target.url,
    maxRetries: 0, // an error is reported at once instead of after backoff
    flushInterval: 100,
    ...settings,
  })
  const emitted = []
  let requests = 0
  analytics.on('error', (e) => emitted.push({ code: e.code, reason: errorFields(e.reason) }))
  analytics.on('http_request', () => requests++)
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
  return { results, emitted, requests }
}

// customerio-node builds https URLs from `url` but drops their port; `port` in its defaults is
// passed on to https.request as every other default is.
function nodeDefaults(target, path) {
  const base = new URL(target.url)
  return { url: `${base.origin}${path}`, port: Number(base.port || 443) }
}

function context(target, scenario) {
  const sdk = () => require('customerio-node')
  const trackWith = (key) => new (sdk().TrackClient)(target.keys.site_id, key, nodeDefaults(target, '/api/v1'))
  const apiWith = (key) => new (sdk().APIClient)(key, nodeDefaults(target, '/v1'))
  return {
    id: scenario.id,
    args: scenario.args,
    settle,
    cdp: (calls, settings) => runCdp(target, calls, settings),
    trackWith,
    apiWith,
    get sdk() {
      return sdk()
    },
    get track() {
      return trackWith(target.keys.track)
    },
    get api() {
      return apiWith(target.keys.app)
    },
  }
}

module.exports = { context, errorFields }
