from demining_sdg.cli import main

main()
