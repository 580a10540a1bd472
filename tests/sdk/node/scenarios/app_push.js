// APIClient.sendPush without `to` (the SDK omits it; the spec says it defaults to "all").
module.exports = async ({ id, args, track, api, sdk }) => {
  await track.identify(id, {})
  await track.addDevice(id, `${id}-token`, 'ios')
  return api.sendPush(new sdk.SendPushRequest({ transactional_message_id: args.template, identifiers: { id } }))
}
