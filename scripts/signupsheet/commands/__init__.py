"""One module per `signupsheet` command."""
