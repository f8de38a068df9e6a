"""Money expected and received: expected allowed per line (Medicare PFS or contracted rates),
the underpayment queue, variance by payer (:mod:`.expected`), and the payer rules for pricing
(:mod:`.tariffs`)."""
