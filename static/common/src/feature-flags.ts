/**
 * Atlaskit components ask `@atlaskit/platform-feature-flags` about Atlassian-internal rollouts.
 * Inside Jira's own bundle a resolver is installed; in a Custom UI iframe there is none, and the
 * fallback (an uninitialised Statsig client) logs a console warning per page. Custom UIs get the
 * components' stable behaviour: every platform flag off. Import this module before any component.
 */
const PFF_GLOBAL_KEY = '__PLATFORM_FEATURE_FLAGS__';

interface PlatformFeatureFlags {
  booleanResolver?: ((flagKey: string) => boolean) | undefined;
}

const host = window as unknown as Record<string, PlatformFeatureFlags | undefined>;
const flags: PlatformFeatureFlags = host[PFF_GLOBAL_KEY] ?? {};
flags.booleanResolver = () => false;
host[PFF_GLOBAL_KEY] = flags;

export {};
