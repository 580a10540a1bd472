// customerio-node: trigger an API-triggered broadcast (the SDK posts /v1/api/campaigns/{id}/triggers).
const { env, id, runNode } = require('../_lib')
runNode(async (track, api) => {
  await track.identify(id, {})
  return api.triggerBroadcast(Number(env.CIO_SDK_BROADCAST_ID), { tag: id }, { ids: [id], id_ignore_missing: true })
})
