// customerio-node: suppress a person, then unsuppress them.
const { id, runNode } = require('../_lib')
runNode(async (track) => {
  await track.identify(id, { email: `${id}@example.com` })
  await track.suppress(id)
  return track.unsuppress(id)
})
