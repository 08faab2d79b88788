"""The `rates` command's subcommands, one module each (`rates.cli` registers them).
"""
