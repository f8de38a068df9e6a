"""The clearinghouse exchange: files sent and applied, 999/277CA acknowledgements, receiving."""
