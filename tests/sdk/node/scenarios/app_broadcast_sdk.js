// APIClient.triggerBroadcast: the SDK posts to /v1/api/campaigns/{id}/triggers.
module.exports = async ({ id, args, track, api }) => {
  await track.identify(id, {})
  return api.triggerBroadcast(args.broadcast, { tag: id }, { ids: [id], id_ignore_missing: true })
}
