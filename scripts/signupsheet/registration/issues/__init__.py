"""Registration by issue form: reading the form, deciding, answering."""
