// APIClient.sendEmail with a SendEmailRequest exactly as the SDK builds it (it adds "headers": {}).
module.exports = async ({ id, args, track, api, sdk }) => {
  await track.identify(id, { email: `${id}@example.com` })
  const request = new sdk.SendEmailRequest({
    transactional_message_id: args.template,
    to: `${id}@example.com`,
    identifiers: { id },
    message_data: { order: 7 },
  })
  return api.sendEmail(request)
}
