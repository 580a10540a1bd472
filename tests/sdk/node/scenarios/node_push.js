// customerio-node: a transactional push without `to` (the spec says it defaults to "all").
// Tries the workspace's templates until one with push content accepts it.
const { env, id, runNode } = require('../_lib')
runNode(async (track, api, { SendPushRequest }) => {
  await track.identify(id, {})
  await track.addDevice(id, `${id}-token`, 'ios')
  let last
  for (const templateId of env.CIO_SDK_TX_IDS.split(',')) {
    try {
      return await api.sendPush(new SendPushRequest({ transactional_message_id: templateId, identifiers: { id } }))
    } catch (err) {
      last = err
    }
  }
  throw last
})
