// customerio-node: suppress a person, then try to add them again (refused while suppressed).
module.exports = async ({ id, track }) => {
  await track.identify(id, { email: `${id}@example.com` })
  await track.suppress(id)
  return track.identify(id, { plan: 'back' })
}
