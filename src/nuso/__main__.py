import sys

from nuso.cli.main import main

sys.exit(main())
