import sys

try:
    from demining_sdg.cli import main

    main()
except KeyboardInterrupt:
    sys.stderr.write("Interrupted before anything was written; the published report is unchanged.\n")
    sys.exit(130)
