from topoctl.cli import main

main()
