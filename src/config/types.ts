/** The configuration after validation and defaults (see schemas/config/taxiway.schema.json). */
import type { ValidationPolicy } from '../stix/policy';

export interface PrincipalList {
  users: string[];
  groups: string[];
}

export interface ServerConfig {
  host: string;
  port: number;
  public_base_url?: string;
  trust_proxy: boolean | number | string[];
  tls?: { cert: string; key: string; ca?: string };
  log_level: 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
  log_format: 'json' | 'pretty';
  request_timeout_seconds: number;
  headers_timeout_seconds: number;
  keep_alive_timeout_seconds: number;
  /** Host header values accepted; undefined accepts any well-formed host. */
  allowed_hosts?: string[];
  workers: number | 'auto';
  pid_file?: string;
  shutdown_grace_seconds: number;
}

export interface DiscoveryConfig {
  title: string;
  description?: string;
  contact?: string;
  default?: string;
}

export interface ApiRootConfig {
  path: string;
  title: string;
  description?: string;
  max_content_length: number;
  default_page_size: number;
  max_page_size: number;
  max_objects_per_request: number;
  max_page_bytes: number;
}

export interface CollectionConfig {
  id: string;
  api_root: string;
  alias?: string;
  title: string;
  description?: string;
  media_types: string[];
  validation: ValidationPolicy;
  max_object_bytes: number;
  ownership: boolean;
  maintainers: PrincipalList;
  permissions: { read: PrincipalList; write: PrincipalList; anonymous_read: boolean };
}

export interface UserConfig {
  name: string;
  password_hash: string;
  groups: string[];
  development: boolean;
  enabled: boolean;
  api_keys: ApiKeyConfig[];
}

/** An API key as configured: only its SHA-256 is stored; the key itself was shown once. */
export interface ApiKeyConfig {
  id: string;
  name: string;
  sha256: string;
  created?: string;
  expires?: string;
}

export interface AuthConfig {
  cache_seconds: number;
  max_concurrent_derivations: number;
  throttle: {
    window_seconds: number;
    address_failures: number;
    pair_failures: number;
    user_slowdown_after: number;
    max_delay_ms: number;
  };
}

export interface MetricsConfig {
  enabled: boolean;
  allow_addresses: string[];
  users: string[];
  port?: number;
}

export interface ConsoleConfig {
  enabled: boolean;
  session_keys: string[];
  session_hours: number;
  idle_minutes: number;
}

export interface MongoConfig {
  uri?: string;
  database: string;
  write_concern: 'majority' | number;
  tls?: boolean;
  tls_ca_file?: string;
  tls_certificate_key_file?: string;
  auth_source?: string;
  options?: Record<string, unknown>;
}

export interface StoreConfig {
  type: 'sqlite' | 'mongodb';
  sqlite: { path: string };
  mongodb?: MongoConfig;
}

export interface TaxiwayConfig {
  server: ServerConfig;
  discovery: DiscoveryConfig;
  api_roots: ApiRootConfig[];
  collections: CollectionConfig[];
  users: UserConfig[];
  auth: AuthConfig;
  metrics: MetricsConfig;
  console: ConsoleConfig;
  store: StoreConfig;
  status: { retention_hours: number };
}
