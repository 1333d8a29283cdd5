from nooble_codemod.cli import main

main()
