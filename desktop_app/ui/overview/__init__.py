"""总览: counts, charts, 情况概述 and warnings, worked out off the UI thread."""
