"""Link delivery: secrets, the mail, the SMTP or Maildir transport, and recording what was sent."""
