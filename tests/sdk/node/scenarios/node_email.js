// customerio-node: a transactional email exactly as SendEmailRequest builds it ("headers": {}).
const { env, id, runNode } = require('../_lib')
runNode(async (track, api, { SendEmailRequest }) => {
  await track.identify(id, { email: `${id}@example.com` })
  const request = new SendEmailRequest({
    transactional_message_id: env.CIO_SDK_TX_IDS.split(',')[0],
    to: `${id}@example.com`,
    identifiers: { id },
    message_data: { order: 7 },
  })
  return api.sendEmail(request)
})
