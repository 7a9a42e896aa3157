from lutnick_cli.cli import main

main()
