"""Everything specific to one external system lives in that system's folder below this one."""
