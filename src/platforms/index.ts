import type { PlatformConfig } from '../config';
import type { OpenPlatform, PlatformDeps, PlatformModule, PlatformOf } from './platform';

type Kind = PlatformConfig['kind'];

/**
 * Every platform, by the kind the configuration names. A platform's code is loaded only when
 * it runs (Bolt alone takes a third of a second to load, which the sandbox need not wait for).
 */
const PLATFORMS: { readonly [K in Kind]: () => Promise<PlatformModule<PlatformOf<K>>> } = {
  sandbox: async () => (await import('./sandbox')).sandbox,
  slack: async () => (await import('./slack')).slack,
  dingtalk: async () => (await import('./dingtalk')).dingtalk,
  wecom: async () => (await import('./wecom')).wecom,
};

/** The configured platform, loaded, with its settings bound. */
export interface ConfiguredPlatform {
  readonly observed: boolean;
  open(deps: PlatformDeps): OpenPlatform;
}

async function load<K extends Kind>(kind: K, settings: PlatformOf<K>): Promise<ConfiguredPlatform> {
  const platform = await PLATFORMS[kind]();
  return { observed: platform.observed, open: (deps) => platform.open(settings, deps) };
}

/** Loads the platform `settings` name. */
export const loadPlatform = (settings: PlatformConfig): Promise<ConfiguredPlatform> => load(settings.kind, settings);
