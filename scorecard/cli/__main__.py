from scorecard.cli import main

main()
