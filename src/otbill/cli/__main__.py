"""``python -m otbill.cli`` runs the same command line as ``otbill``."""

from otbill.cli import main

main()
