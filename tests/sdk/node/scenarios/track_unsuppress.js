// customerio-node: suppress a person, unsuppress them, and add them again.
module.exports = async ({ id, track }) => {
  await track.identify(id, { email: `${id}@example.com` })
  await track.suppress(id)
  await track.unsuppress(id)
  return track.identify(id, { plan: 'back' })
}
