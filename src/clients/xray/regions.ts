import type { XrayRegion, XrayTier } from '../../api';
import { XRAY_REGIONS } from '../../api';

/** Xray Cloud's base URL per data-residency region (Xray's "Data residency" documentation). */
export const XRAY_BASE_URLS: Record<XrayRegion, string> = {
  global: 'https://xray.cloud.getxray.app',
  us: 'https://us.xray.cloud.getxray.app',
  eu: 'https://eu.xray.cloud.getxray.app',
  au: 'https://au.xray.cloud.getxray.app',
};

export const otherRegions = (region: XrayRegion): XrayRegion[] => XRAY_REGIONS.filter((r) => r !== region);

/** Xray Cloud API budget: requests per 5-minute window, by plan. */
export const XRAY_BUDGET_PER_5_MIN: Record<XrayTier, number> = { standard: 300, enterprise: 1_000 };
