/** The configuration after validation and defaults (see schemas/config/taxiway.schema.json). */

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
}

export type ValidationPolicyName = 'strict' | 'standard' | 'permissive';

export interface CollectionConfig {
  id: string;
  api_root: string;
  alias?: string;
  title: string;
  description?: string;
  media_types: string[];
  validation: ValidationPolicyName;
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
  store: StoreConfig;
  status: { retention_hours: number };
}
