"""The subcommands of `lutnick`, one module each."""
