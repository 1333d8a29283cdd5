from nooble_codemod.cli.launcher import main

main()
