"""dangjian: 智慧党建 for public hospitals."""
