// customerio-node TrackClient.identify: create a person with attributes.
const { id, runNode } = require('../_lib')
runNode((track) => track.identify(id, { email: `${id}@example.com`, plan: 'pro' }))
