// The spec's trigger path /v1/campaigns/{id}/triggers, through the SDK's own request object.
module.exports = async ({ id, args, track, api }) => {
  await track.identify(id, {})
  return api.request.post(`${api.apiRoot}/campaigns/${args.broadcast}/triggers`, {
    data: { tag: id },
    ids: [id],
    id_ignore_missing: true,
  })
}
