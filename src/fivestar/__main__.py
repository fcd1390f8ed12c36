from fivestar.cli import main

main()
