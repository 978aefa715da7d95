"""Headless command groups; each module has register(subparsers). See core/cli.py."""
