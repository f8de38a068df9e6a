"""An offline clearinghouse and payer for demos and tests: rules, X12 answers, folder loop."""
