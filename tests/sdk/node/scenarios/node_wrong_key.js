// customerio-node: a wrong Track key; the SDK must report the 401 and its message.
const { env, id, runNode } = require('../_lib')
runNode(() => {
  const { TrackClient } = require('customerio-node')
  const base = new URL(env.CIO_SDK_URL)
  const port = Number(base.port || 443)
  return new TrackClient(env.CIO_SDK_SITE_ID, 'not-the-key', { url: `${base.origin}/api/v1`, port }).identify(id, {})
})
