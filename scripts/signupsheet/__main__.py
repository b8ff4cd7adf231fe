from __future__ import annotations

from signupsheet.main import main

raise SystemExit(main())
