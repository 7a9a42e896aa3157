"""`python -m lutnick_cli`: the `lutnick` command."""

from lutnick_cli.cli import main

if __name__ == "__main__":
    main()
