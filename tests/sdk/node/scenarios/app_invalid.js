// APIClient.sendEmail without identifiers; the SDK must report the status and the field.
module.exports = ({ id, args, api, sdk }) =>
  api.sendEmail(new sdk.SendEmailRequest({ transactional_message_id: args.template, to: `${id}@example.com` }))
