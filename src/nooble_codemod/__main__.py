from nooble_codemod.launcher import main

main()
